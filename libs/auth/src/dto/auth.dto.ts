import { ApiProperty } from '@nestjs/swagger';
import { IsEmail, IsString, Length, MaxLength } from 'class-validator';
import { IsStrongPassword, PASSWORD_MAX, PASSWORD_MIN, UserResponse } from '@coffee/users';
import { TrimLower } from '@coffee/common';

export class LoginDto {
  @ApiProperty({ example: 'owner@cafe.example' })
  @TrimLower()
  @IsEmail({}, { message: 'email must be a valid email address' })
  @MaxLength(254)
  email!: string;

  @ApiProperty({ writeOnly: true })
  @IsString()
  @Length(1, 1024)
  password!: string;
}

export class ChangePasswordDto {
  @ApiProperty({ writeOnly: true })
  @IsString()
  @Length(1, 1024)
  currentPassword!: string;

  @ApiProperty({ writeOnly: true, minLength: PASSWORD_MIN, maxLength: PASSWORD_MAX })
  @IsStrongPassword()
  newPassword!: string;
}

export class SessionResponse {
  @ApiProperty({ type: UserResponse }) user!: UserResponse;
  @ApiProperty({ description: 'Also in the csrf_token cookie; send it as X-CSRF-Token on writes' }) csrfToken!: string;
}
